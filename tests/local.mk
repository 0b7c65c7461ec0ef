# tests: unit suites (Check), CLI golden files, re-parse and corpus tests

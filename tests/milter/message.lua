-- message.lua - send one message from a file to a running plainbounce
-- over the milter protocol, as an MTA would, and check what it does.
--
-- Globals (miltertest -D):
--   sock    socket of the daemon (unix:/path)
--   msg     the message, CRLF line ends
--   sender  envelope sender as the MTA hands it ("<>", "", "<a@b>")
--   qid     queue id sent as macro i
--   expect  accept-mailfrom | accept-eoh | accept-body | unchanged |
--           edited
--   oracle  (edited) directory with "edits" and maybe "body" written by
--           pb-expect: the exact edits that must arrive
--   marker  (edited, optional) exact X-Plainbounce value expected
--   keep    (edited, optional) file whose bytes must appear unchanged
--           inside the new body (e.g. the delivery-status part)
--   lead    (optional) text of the explanation that must be there ...
--   after   (optional) ... above this original text of the first part
--   piece   (optional) size of the body pieces the test build sends
--   midcmd  (optional) shell command run before end of message

-- miltertest does not print Lua errors: say why, then exit non-zero
local function fail(why)
	print("FAIL [" .. (msg or "?") .. "]: " .. why)
	os.exit(1)
end

local function slurp(path)
	local f = io.open(path, "rb")
	if f == nil then
		return nil
	end
	local s = f:read("a")
	f:close()
	return s
end

local text = slurp(msg) or fail("cannot read " .. msg)
local cut = string.find(text, "\r\n\r\n", 1, true)
local head, body
if cut == nil then
	head, body = text, ""
else
	head, body = string.sub(text, 1, cut + 1), string.sub(text, cut + 4)
end

local conn = mt.connect(sock, 40, 0.25)
if conn == nil then
	fail("cannot connect to " .. sock)
end
if mt.negotiate(conn, nil, nil, nil) ~= nil then
	fail("negotiation failed")
end
-- what the daemon asked for (DESIGN.md section 6: only what is used)
if mt.test_option(conn, SMFIP_NOCONNECT) ~= true or
   mt.test_option(conn, SMFIP_NOHELO) ~= true or
   mt.test_option(conn, SMFIP_NORCPT) ~= true then
	fail("daemon did not decline connect/HELO/RCPT events")
end
if mt.test_action(conn, SMFIF_ADDHDRS) ~= true or
   mt.test_action(conn, SMFIF_CHGBODY) ~= true or
   mt.test_action(conn, SMFIF_ADDRCPT) == true or
   mt.test_action(conn, SMFIF_DELRCPT) == true or
   mt.test_action(conn, SMFIF_QUARANTINE) == true then
	fail("daemon negotiated the wrong actions")
end
local leadspc = mt.test_option(conn, SMFIP_HDR_LEADSPC) == true

mt.macro(conn, SMFIC_MAIL, "i", qid or "TESTQID")
if mt.mailfrom(conn, sender) ~= nil then
	fail("mailfrom failed")
end
local r = mt.getreply(conn)
if expect == "accept-mailfrom" then
	if r ~= SMFIR_ACCEPT then
		fail("MAIL FROM " .. sender .. ": expected ACCEPT, got " .. tostring(r))
	end
	mt.disconnect(conn)
	return
end
if r ~= SMFIR_CONTINUE then
	fail("MAIL FROM " .. sender .. ": expected CONTINUE, got " .. tostring(r))
end
-- no RCPT: the daemon negotiated SMFIP_NORCPT

-- header fields, unfolded the way Sendmail and Postfix hand them over
local name, value
local function flush()
	if name ~= nil then
		if not leadspc then
			value = string.gsub(value, "^[ \t]+", "")
		end
		if mt.header(conn, name, value) ~= nil then
			fail("header " .. name .. " failed")
		end
	end
end
for line in string.gmatch(head, "(.-)\r\n") do
	if string.find(line, "^[ \t]") and name ~= nil then
		value = value .. "\n" .. line
	else
		flush()
		name, value = string.match(line, "^([^:]+):(.*)$")
		if name == nil then
			fail("bad header line: " .. line)
		end
	end
end
flush()
if mt.eoh(conn) ~= nil then
	fail("eoh failed")
end
r = mt.getreply(conn)
if expect == "accept-eoh" then
	if r ~= SMFIR_ACCEPT then
		fail("end of headers: expected ACCEPT, got " .. tostring(r))
	end
	mt.disconnect(conn)
	return
end
if r ~= SMFIR_CONTINUE then
	fail("end of headers: expected CONTINUE, got " .. tostring(r))
end

-- miltertest copies each chunk into a small stack buffer: keep the
-- chunks well under 1 KiB (MTAs send up to 64 KiB; the daemon does not
-- care how the body is cut)
local chunk = 900
local pos = 1
while pos <= #body do
	if mt.bodystring(conn, string.sub(body, pos, pos + chunk - 1)) ~= nil then
		fail("body failed")
	end
	pos = pos + chunk
	r = mt.getreply(conn)
	if r == SMFIR_ACCEPT then
		break
	end
	if r ~= SMFIR_CONTINUE then
		fail("body: expected CONTINUE, got " .. tostring(r))
	end
end
if expect == "accept-body" then
	if r ~= SMFIR_ACCEPT then
		fail("body: expected ACCEPT (too big), got " .. tostring(r))
	end
	mt.disconnect(conn)
	return
end
if r == SMFIR_ACCEPT then
	fail("body: unexpected ACCEPT")
end

-- midcmd: a shell command run while the message is in progress (a
-- reload or a stop must not change what this message gets)
if midcmd ~= nil and midcmd ~= "" then
	os.execute(midcmd)
end

if mt.eom(conn) ~= nil then
	fail("eom failed")
end
r = mt.getreply(conn)
if r ~= SMFIR_CONTINUE and r ~= SMFIR_ACCEPT then
	fail("end of message: expected CONTINUE or ACCEPT, got " .. tostring(r))
end

if expect == "unchanged" then
	if mt.eom_check(conn, MT_HDRADD) or mt.eom_check(conn, MT_HDRCHANGE) or
	   mt.eom_check(conn, MT_HDRDELETE) or mt.eom_check(conn, MT_HDRINSERT) or
	   mt.eom_check(conn, MT_BODYCHANGE) then
		fail("message was changed")
	end
	mt.disconnect(conn)
	return
end
if expect ~= "edited" then
	fail("unknown expectation " .. tostring(expect))
end

-- the exact edits libplainbounce computed for this message
local sp = leadspc and " " or ""
local nedits = 0
for op, hname, hvalue in string.gmatch(slurp(oracle .. "/edits") or "",
                                      "(%u+)\t([^\t]*)\t([^\n]*)\n") do
	nedits = nedits + 1
	local kind = op == "ADD" and MT_HDRADD or MT_HDRCHANGE
	if not mt.eom_check(conn, kind, hname, sp .. hvalue) then
		fail(op .. " " .. hname .. ": \"" .. hvalue .. "\" not requested")
	end
end
if nedits == 0 then
	fail("oracle lists no header edits")
end
if mt.eom_check(conn, MT_HDRDELETE) or mt.eom_check(conn, MT_HDRINSERT) then
	fail("unexpected header delete/insert")
end
if marker ~= nil then
	if not mt.eom_check(conn, MT_HDRADD, "X-Plainbounce", sp .. marker) then
		fail("X-Plainbounce: " .. marker .. " not added")
	end
end
local newbody = slurp(oracle .. "/body")
if newbody == nil then
	if mt.eom_check(conn, MT_BODYCHANGE) then
		fail("body replaced although the oracle keeps it")
	end
else
	-- miltertest keeps each body piece apart (see PLAINBOUNCE_TEST_
	-- BODY_PIECE in filter.c): every piece of the oracle must be there
	local size = tonumber(piece or "0")
	if size == nil or size <= 0 then
		size = #newbody
	end
	local at = 1
	repeat
		if not mt.eom_check(conn, MT_BODYCHANGE,
		                    string.sub(newbody, at, at + size - 1)) then
			fail("body replacement differs from the oracle at byte " .. at)
		end
		at = at + size
	until at > #newbody
	if keep ~= nil then
		local part = slurp(keep) or fail("cannot read " .. keep)
		if not string.find(newbody, part, 1, true) then
			fail("kept part is not byte-identical in the new body")
		end
	end
	if lead ~= nil then
		local lp = string.find(newbody, lead, 1, true)
		local ap = after ~= nil and string.find(newbody, after, 1, true)
		if lp == nil then
			fail("explanation \"" .. lead .. "\" missing")
		end
		if after ~= nil and (ap == nil or ap < lp) then
			fail("explanation is not above \"" .. after .. "\"")
		end
	end
end
mt.disconnect(conn)

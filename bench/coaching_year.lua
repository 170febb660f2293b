-- wrk script for bench/coaching_year.sh: each request takes the next path of the file named by URLS and the next
-- bearer token of the file named by TOKENS (one a line: each request as another coach).
local paths, tokens = {}, {}
for line in io.lines(os.getenv("URLS")) do
	if #line > 0 then paths[#paths + 1] = line end
end
for line in io.lines(os.getenv("TOKENS")) do
	if #line > 0 then tokens[#tokens + 1] = line end
end
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("start", counter * 13)
end

local i = nil
function request()
	if i == nil then i = start or 0 end
	i = i + 1
	return wrk.format("GET", paths[(i % #paths) + 1], {Authorization = "Bearer " .. tokens[(i % #tokens) + 1]})
end

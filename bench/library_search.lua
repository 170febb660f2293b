-- wrk script for bench/library_search.sh: each request takes the next path of the file named by URLS
-- (one path per line), each thread starting at a different place in the list.
local paths = {}
for line in io.lines(os.getenv("URLS")) do
	if #line > 0 then paths[#paths + 1] = line end
end
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("start", counter * 7)
end

local i = nil
function request()
	if i == nil then i = start or 0 end
	i = i + 1
	return wrk.format("GET", paths[(i % #paths) + 1])
end

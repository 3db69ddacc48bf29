-- GET each path of FILE (one a line) in turn, so that no one row or page
-- stays hot in a cache.
-- wrk ... -s bench/paths.lua URL -- FILE
function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  next_path = 0
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

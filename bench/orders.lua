-- POST /api/v1/orders with a new Idempotency-Key each time.
-- wrk ... -s bench/orders.lua URL -- TOKEN PRODUCT_ID
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  token, product = args[1], args[2]
  sent = 0
  body = '{"items":[{"product_id":"' .. product .. '","quantity":1}],' ..
    '"delivery_address":{"name":"Kim","line1":"1 Sejong-daero","city":"Seoul",' ..
    '"postal_code":"04524","phone":"010-0000-0000"},' ..
    '"payment":{"method":"card","token":"tok_ok"}}'
  prefix = "bench-" .. thread_number .. "-" .. os.time() .. "-"
end

function request()
  sent = sent + 1
  return wrk.format("POST", "/api/v1/orders", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = prefix .. sent,
  }, body)
end

# SHOPBOX_SANITIZE builds every target (tests and the shopbox binary alike)
# with sanitizers: "address,undefined" or "thread" (they cannot be combined).
# A finding aborts the process, so a test cannot pass over one.
set(SHOPBOX_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined or thread")
set_property(CACHE SHOPBOX_SANITIZE PROPERTY STRINGS "" "address,undefined" "thread")

if(SHOPBOX_SANITIZE)
  if(NOT SHOPBOX_SANITIZE MATCHES "^(address,undefined|address|undefined|thread)$")
    message(FATAL_ERROR "SHOPBOX_SANITIZE: expected address,undefined or thread, got ${SHOPBOX_SANITIZE}")
  endif()
  add_compile_options(-fsanitize=${SHOPBOX_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${SHOPBOX_SANITIZE})
  if(SHOPBOX_SANITIZE STREQUAL "thread")
    # -Wno-tsan: Boost.Asio's handler fences, which TSan does not model, warn
    # in every file; its scheduler's mutex, which TSan sees, orders handlers.
    add_compile_options(-Wno-tsan)
  endif()
endif()

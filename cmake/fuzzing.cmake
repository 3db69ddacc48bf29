# SHOPBOX_FUZZ builds the libFuzzer targets of tests/fuzz (make fuzz, with
# clang): every library is compiled with coverage instrumentation and ASan
# and UBSan, so findings in library code are caught; only the fuzz targets
# link libFuzzer's main (tests/fuzz/CMakeLists.txt).
option(SHOPBOX_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)

if(SHOPBOX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SHOPBOX_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

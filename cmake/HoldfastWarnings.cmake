# Warnings for code of this project (not for third-party headers).
add_library(holdfast_warnings INTERFACE)
target_compile_options(holdfast_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                            -Woverloaded-virtual -Wconversion -Wnull-dereference -Wformat=2>
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes>)

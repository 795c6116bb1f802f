# cmake -DLIBRARY=<plugin.so> -DEXPECTED=<symbol> -P check_exports.cmake
# Fails unless the library's dynamic symbol table defines EXPECTED and nothing else.
find_program(NM nm REQUIRED)
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIBRARY}")
endif()
string(REGEX REPLACE "[0-9a-fA-F]+ [A-Za-z] " "" names "${symbols}")
string(STRIP "${names}" names)
if(NOT names STREQUAL EXPECTED)
  message(FATAL_ERROR "${LIBRARY} exports:\n${symbols}expected ${EXPECTED} alone")
endif()

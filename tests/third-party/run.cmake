# One step of the third-party SDK test, run as
#   cmake -DSTEP=<step> -DWORK=... (see CMakeLists.txt) -P run.cmake
#
#   install            wipe WORK; install the "sdk" component to WORK/prefix; check the files
#   build              copy examples/hello-engine to WORK/src and build it against WORK/prefix
#                      only; install it to WORK/plugin-prefix; check the manifest
#   exports            the plugin exports hf_plugin_entry and nothing else
#   pkg_config         pkg-config finds holdfast-sdk in WORK/prefix; the example also builds
#                      with nothing but its flags
#   drive              load the plugin and back up / restore / verify / detect through it
#   host_lists_plugin  `holdfast plugins --json --plugin-path <plugin dir>` lists it as "ok"
cmake_minimum_required(VERSION 3.20)

set(prefix ${WORK}/prefix)
set(example_src ${WORK}/src/hello-engine)
set(example_build ${WORK}/build)
set(plugin_dir ${example_build}/plugins/hello)
set(plugin ${plugin_dir}/holdfast_hello.so)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${command}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_file path)
  if(NOT EXISTS ${path})
    message(FATAL_ERROR "missing: ${path}")
  endif()
endfunction()

# nm -D --defined-only must list hf_plugin_entry and nothing else.
function(expect_only_entry_exported library)
  run(nm -D --defined-only ${library})
  string(REGEX REPLACE "\n$" "" lines "${run_output}")
  string(REPLACE "\n" ";" lines "${lines}")
  set(symbols)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE ".* " "" symbol "${line}")
    list(APPEND symbols ${symbol})
  endforeach()
  if(NOT symbols STREQUAL "hf_plugin_entry")
    message(FATAL_ERROR "${library} must export hf_plugin_entry alone; nm -D --defined-only says:\n${run_output}")
  endif()
endfunction()

if(STEP STREQUAL "install")
  file(REMOVE_RECURSE ${WORK})
  file(MAKE_DIRECTORY ${WORK})
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component sdk)
  foreach(f include/holdfast/abi.h include/holdfast/engine.h include/holdfast/storage.h
            include/holdfast/plugin/common.hpp include/holdfast/plugin/engine.hpp include/holdfast/plugin/storage.hpp
            include/holdfast/client/common.hpp include/holdfast/client/engine.hpp include/holdfast/client/storage.hpp
            share/pkgconfig/holdfast-sdk.pc share/holdfast-sdk/plugin-exports.map)
    expect_file(${prefix}/${f})
  endforeach()
  file(GLOB config_dir LIST_DIRECTORIES true ${prefix}/lib*/cmake/HoldfastSDK ${prefix}/lib/*/cmake/HoldfastSDK)
  if(NOT config_dir)
    message(FATAL_ERROR "no lib/cmake/HoldfastSDK under ${prefix}")
  endif()
  foreach(f HoldfastSDKConfig.cmake HoldfastSDKConfigVersion.cmake HoldfastSDKTargets.cmake HoldfastPlugin.cmake)
    expect_file(${config_dir}/${f})
  endforeach()
  # The component holds the SDK alone: no executable, no plugin.
  file(GLOB_RECURSE binaries ${prefix}/bin/* ${prefix}/*.so)
  if(binaries)
    message(FATAL_ERROR "the sdk component installed binaries: ${binaries}")
  endif()

elseif(STEP STREQUAL "build")
  file(REMOVE_RECURSE ${WORK}/src ${example_build} ${WORK}/plugin-prefix ${WORK}/version-check)
  # A copy, so the example cannot reach into the holdfast tree by a relative path.
  file(COPY ${EXAMPLE_DIR} DESTINATION ${WORK}/src)
  run(${CMAKE_COMMAND} -S ${example_src} -B ${example_build} -G ${GENERATOR}
      -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix}
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
  # The package found must be the one just installed, not one elsewhere on the system.
  file(STRINGS ${example_build}/CMakeCache.txt sdk_dir REGEX "^HoldfastSDK_DIR:")
  string(FIND "${sdk_dir}" "=${prefix}/" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "found HoldfastSDK outside the test prefix: ${sdk_dir}")
  endif()
  run(${CMAKE_COMMAND} --build ${example_build})
  file(READ ${example_build}/compile_commands.json commands)
  string(FIND "${commands}" "${SDK_SOURCE_INCLUDE}" leak)
  string(FIND "${commands}" "${prefix}/include" installed)
  if(NOT leak EQUAL -1 OR installed EQUAL -1)
    message(FATAL_ERROR "the example must compile against ${prefix}/include only:\n${commands}")
  endif()

  expect_file(${plugin})
  file(READ ${plugin_dir}/hello.json manifest)
  string(JSON abi GET "${manifest}" abi_version)
  string(JSON name GET "${manifest}" name)
  string(JSON library GET "${manifest}" library_path)
  if(NOT abi STREQUAL ABI_VERSION OR NOT name STREQUAL "hello" OR NOT library STREQUAL "holdfast_hello.so")
    message(FATAL_ERROR "unexpected manifest (want abi_version ${ABI_VERSION}):\n${manifest}")
  endif()

  # Out of tree, plugins install to <prefix>/lib/holdfast/plugins/<name>/.
  run(${CMAKE_COMMAND} --install ${example_build} --prefix ${WORK}/plugin-prefix)
  expect_file(${WORK}/plugin-prefix/lib/holdfast/plugins/hello/holdfast_hello.so)
  expect_file(${WORK}/plugin-prefix/lib/holdfast/plugins/hello/hello.json)

  # SameMajorVersion: the installed 0.x package satisfies a request for this
  # version and refuses the next major.
  file(WRITE ${WORK}/version-check/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.20)
project(version_check NONE)
find_package(HoldfastSDK ${WANT} CONFIG QUIET)
message(STATUS "found=${HoldfastSDK_FOUND}")
]=])
  string(REGEX MATCH "^[0-9]+" major "${SDK_VERSION}")
  math(EXPR next_major "${major} + 1")
  foreach(want_found IN ITEMS "${SDK_VERSION}:1" "${next_major}.0:0")
    string(REPLACE ":" ";" pair "${want_found}")
    list(GET pair 0 want)
    list(GET pair 1 expected)
    file(REMOVE_RECURSE ${WORK}/version-check/build)
    run(${CMAKE_COMMAND} -S ${WORK}/version-check -B ${WORK}/version-check/build -DWANT=${want}
        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
    if(expected AND NOT run_output MATCHES "found=1")
      message(FATAL_ERROR "find_package(HoldfastSDK ${want}) failed:\n${run_output}")
    elseif(NOT expected AND run_output MATCHES "found=1")
      message(FATAL_ERROR "find_package(HoldfastSDK ${want}) accepted SDK ${SDK_VERSION}")
    endif()
  endforeach()

elseif(STEP STREQUAL "exports")
  expect_only_entry_exported(${plugin})

elseif(STEP STREQUAL "pkg_config")
  set(pc_env ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/share/pkgconfig)
  run(${pc_env} pkg-config --cflags holdfast-sdk)
  string(STRIP "${run_output}" cflags)
  if(NOT cflags MATCHES "^-I(.+)$")
    message(FATAL_ERROR "pkg-config --cflags holdfast-sdk: expected -I<includedir>, got '${cflags}'")
  endif()
  file(REAL_PATH "${CMAKE_MATCH_1}" includedir)
  file(REAL_PATH "${prefix}/include" want_includedir)
  if(NOT includedir STREQUAL want_includedir)
    message(FATAL_ERROR "pkg-config points at ${includedir}, not ${want_includedir}")
  endif()
  run(${pc_env} pkg-config --modversion holdfast-sdk)
  string(STRIP "${run_output}" version)
  run(${pc_env} pkg-config --variable=abi_version holdfast-sdk)
  string(STRIP "${run_output}" abi)
  if(NOT version STREQUAL SDK_VERSION OR NOT abi STREQUAL ABI_VERSION)
    message(FATAL_ERROR "pkg-config says version '${version}', abi_version '${abi}'")
  endif()
  run(${pc_env} pkg-config --variable=exports_map holdfast-sdk)
  string(STRIP "${run_output}" exports_map)

  # Build the example with a bare compiler command, as a Makefile would.
  set(out ${WORK}/pkg-config/holdfast_hello.so)
  file(REMOVE_RECURSE ${WORK}/pkg-config)
  file(MAKE_DIRECTORY ${WORK}/pkg-config)
  run(${CXX} -std=c++20 -O0 -fPIC -shared -fvisibility=hidden -fvisibility-inlines-hidden ${cflags}
      -DHELLO_VERSION="1.0.0" ${EXAMPLE_DIR}/hello_engine.cpp -o ${out}
      -Wl,--version-script=${exports_map} -Wl,--no-undefined)
  expect_only_entry_exported(${out})

elseif(STEP STREQUAL "drive")
  run(${DRIVER} ${plugin} ${WORK}/drive)
  message(STATUS "${run_output}")

elseif(STEP STREQUAL "host_lists_plugin")
  # --plugin-path replaces the whole search, so only this plugin is listed.
  run(${HOLDFAST} plugins --json --plugin-path ${plugin_dir})
  set(listing "${run_output}")
  string(JSON count ERROR_VARIABLE json_error LENGTH "${listing}")
  if(json_error)
    message(FATAL_ERROR "holdfast plugins --json did not print a JSON array (${json_error}):\n${listing}")
  endif()
  set(status "")
  if(count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON name ERROR_VARIABLE ignored GET "${listing}" ${i} name)
      if(name STREQUAL "hello")
        string(JSON status GET "${listing}" ${i} status)
        break()
      endif()
    endforeach()
  endif()
  if(NOT status STREQUAL "ok")
    message(FATAL_ERROR "the hello plugin is not listed with status \"ok\" (status: '${status}'):\n${listing}")
  endif()

else()
  message(FATAL_ERROR "unknown STEP '${STEP}'")
endif()

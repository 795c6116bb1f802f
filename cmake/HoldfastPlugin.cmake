# holdfast_add_plugin(): build one holdfast plugin and its manifest.
#
#   holdfast_add_plugin(<name>
#     KIND engine|storage
#     VERSION <x.y.z>
#     MANIFEST <template.json.in>
#     SOURCES <file>...
#     [LIBRARIES <target-or-lib>...]
#     [OUTPUT_DIRECTORY <dir>]      # default: HOLDFAST_PLUGIN_OUTPUT_DIR or <build>/plugins
#     [INSTALL_DESTINATION <dir>]   # default: HOLDFAST_PLUGIN_INSTALL_DIR or lib/holdfast/plugins
#     [NO_INSTALL])
#
# Creates the MODULE library target holdfast_<kind>_<name> (file holdfast_<name>.so),
# built with hidden visibility and a linker version script so it exports
# hf_plugin_entry alone, and writes
# <name>.json next to it from the manifest template, substituting
#   @HOLDFAST_PLUGIN_NAME@ @HOLDFAST_PLUGIN_KIND@ @HOLDFAST_PLUGIN_VERSION@
#   @HOLDFAST_PLUGIN_LIBRARY@ (the library's file name, relative to the manifest)
#   @HOLDFAST_ABI_VERSION@ (major.minor the plugin is built against)
# Both are installed to <INSTALL_DESTINATION>/<name>/. Works in the holdfast tree
# and, after find_package(HoldfastSDK), in a third party's project, where
# HOLDFAST_PLUGIN_OUTPUT_DIR / HOLDFAST_PLUGIN_INSTALL_DIR are normally unset (set
# them to change the defaults for every plugin of a project) and the ABI version
# comes from the installed package's HOLDFAST_SDK_ABI_VERSION.
include_guard(GLOBAL)

function(holdfast_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_INSTALL" "KIND;VERSION;MANIFEST;OUTPUT_DIRECTORY;INSTALL_DESTINATION"
                        "SOURCES;LIBRARIES")
  if(NOT arg_KIND MATCHES "^(engine|storage)$")
    message(FATAL_ERROR "holdfast_add_plugin(${name}): KIND must be engine or storage")
  endif()
  if(NOT arg_MANIFEST OR NOT arg_SOURCES OR NOT arg_VERSION)
    message(FATAL_ERROR "holdfast_add_plugin(${name}): VERSION, MANIFEST and SOURCES are required")
  endif()
  if(NOT arg_OUTPUT_DIRECTORY)
    if(HOLDFAST_PLUGIN_OUTPUT_DIR)
      set(arg_OUTPUT_DIRECTORY ${HOLDFAST_PLUGIN_OUTPUT_DIR})
    else()
      set(arg_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
    endif()
  endif()
  if(NOT arg_INSTALL_DESTINATION)
    if(HOLDFAST_PLUGIN_INSTALL_DIR)
      set(arg_INSTALL_DESTINATION ${HOLDFAST_PLUGIN_INSTALL_DIR})
    else()
      set(arg_INSTALL_DESTINATION lib/holdfast/plugins)
    endif()
  endif()

  if(NOT HOLDFAST_SDK_ABI_VERSION MATCHES "^[0-9]+\\.[0-9]+$")
    # A manifest without a valid abi_version would only fail later, at load time.
    message(FATAL_ERROR "holdfast_add_plugin(${name}): HOLDFAST_SDK_ABI_VERSION is not set; "
                        "call find_package(HoldfastSDK) in this directory or a parent first")
  endif()

  set(target holdfast_${arg_KIND}_${name})
  string(REPLACE "-" "_" target "${target}")
  add_library(${target} MODULE ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE HoldfastSDK::sdk ${arg_LIBRARIES})
  if(TARGET holdfast_warnings)
    target_link_libraries(${target} PRIVATE holdfast_warnings)
  endif()
  set(plugin_dir ${arg_OUTPUT_DIRECTORY}/${name})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME holdfast_${name}
    LIBRARY_OUTPUT_DIRECTORY ${plugin_dir}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT APPLE AND NOT WIN32)
    # Hidden visibility alone leaks: libstdc++ gives namespace std default
    # visibility, so instantiations such as std::filesystem helpers and
    # typeinfo would be exported, some as GNU_UNIQUE symbols that bind across
    # plugins loaded with RTLD_LOCAL. A version script keeps hf_plugin_entry alone.
    set(exports_map ${CMAKE_CURRENT_BINARY_DIR}/${target}.exports.map)
    file(CONFIGURE OUTPUT ${exports_map} CONTENT "{\n  global: hf_plugin_entry;\n  local: *;\n};\n")
    # Symbols of static libraries linked in stay private too, and a missing
    # symbol fails the build instead of the host's dlopen.
    target_link_options(${target} PRIVATE "LINKER:--version-script=${exports_map}"
                        "LINKER:--exclude-libs,ALL" "LINKER:--no-undefined")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${exports_map})
  endif()

  set(HOLDFAST_PLUGIN_NAME ${name})
  set(HOLDFAST_PLUGIN_KIND ${arg_KIND})
  set(HOLDFAST_PLUGIN_VERSION ${arg_VERSION})
  set(HOLDFAST_PLUGIN_LIBRARY holdfast_${name}${CMAKE_SHARED_MODULE_SUFFIX})
  set(HOLDFAST_ABI_VERSION ${HOLDFAST_SDK_ABI_VERSION})
  configure_file(${arg_MANIFEST} ${plugin_dir}/${name}.json @ONLY)

  if(NOT arg_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${arg_INSTALL_DESTINATION}/${name})
    install(FILES ${plugin_dir}/${name}.json DESTINATION ${arg_INSTALL_DESTINATION}/${name})
  endif()
  set(HOLDFAST_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
endfunction()

# Install and export: another project can `find_package(l2aug)` and link l2aug::tensor,
# l2aug::autograd, l2aug::nn, l2aug::recsys, l2aug::method (the augmentor and Algorithm 1),
# l2aug::online (the online testbed) or l2aug::app (the experiment runner and reports), and run the
# `l2aug` program.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_l2_libs l2_tensor l2_autograd l2_nn l2_recsys l2_method l2_online l2_app)
set_target_properties(l2_tensor PROPERTIES EXPORT_NAME tensor)
set_target_properties(l2_autograd PROPERTIES EXPORT_NAME autograd)
set_target_properties(l2_nn PROPERTIES EXPORT_NAME nn)
set_target_properties(l2_recsys PROPERTIES EXPORT_NAME recsys)
set_target_properties(l2_method PROPERTIES EXPORT_NAME method)
set_target_properties(l2_online PROPERTIES EXPORT_NAME online)
set_target_properties(l2_app PROPERTIES EXPORT_NAME app)
set_target_properties(l2_xsimd PROPERTIES EXPORT_NAME xsimd)
foreach(t ${_l2_libs})
  target_include_directories(${t} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/l2aug>)
endforeach()

install(TARGETS ${_l2_libs} l2_xsimd l2aug EXPORT l2augTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(dir tensor autograd nn recsys l2aug)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/l2aug
          FILES_MATCHING PATTERN "*.h")
endforeach()
install(DIRECTORY ${CMAKE_BINARY_DIR}/generated/tensor DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/l2aug
        FILES_MATCHING PATTERN "*.h")
install(EXPORT l2augTargets NAMESPACE l2aug:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/l2aug)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/l2augConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/l2augConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/l2aug)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/l2augConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/l2augConfig.cmake ${CMAKE_BINARY_DIR}/l2augConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/l2aug)

# In-tree, the same names as after find_package, so that examples/ builds either way.
foreach(t ${_l2_libs})
  get_target_property(_name ${t} EXPORT_NAME)
  add_library(l2aug::${_name} ALIAS ${t})
endforeach()

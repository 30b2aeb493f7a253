# install(): what `cmake --install BUILD --prefix /usr` (and the Debian package, debian/rules) lays out. Tests and
# bench are never installed. The man helper's pages and the bash completion have their own install rules.

# Debian 12's dh_installsystemd and lintian look for units in /lib/systemd/system; systemd's pkg-config file says
# where this system keeps them. Under another prefix (a home directory, /usr/local) the unit goes below the prefix.
set(okarchive_unitdir lib/systemd/system)
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND AND CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  pkg_get_variable(okarchive_system_unitdir systemd systemdsystemunitdir)
  if(okarchive_system_unitdir)
    set(okarchive_unitdir ${okarchive_system_unitdir})
  endif()
endif()
set(OKARCHIVE_SYSTEMD_UNITDIR ${okarchive_unitdir} CACHE PATH "Where the systemd unit is installed")

# The packaged settings file: generated from the one sample, config/okarchive.ini (cmake/PackagedConfig.cmake).
set(OKARCHIVE_STATE_DIR ${CMAKE_INSTALL_FULL_LOCALSTATEDIR}/lib/okarchive)
set(OKARCHIVE_PACKAGED_CONFIG ${PROJECT_BINARY_DIR}/okarchive.packaged.ini)
add_custom_command(
  OUTPUT ${OKARCHIVE_PACKAGED_CONFIG}
  COMMAND ${CMAKE_COMMAND} -DINPUT=${PROJECT_SOURCE_DIR}/config/okarchive.ini -DOUTPUT=${OKARCHIVE_PACKAGED_CONFIG}
          -DSTATE_DIR=${OKARCHIVE_STATE_DIR} -DTOKEN_FILE=${CMAKE_INSTALL_FULL_SYSCONFDIR}/okarchive/token
          -P ${PROJECT_SOURCE_DIR}/cmake/PackagedConfig.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/config/okarchive.ini ${PROJECT_SOURCE_DIR}/cmake/PackagedConfig.cmake
  COMMENT "Generating the packaged okarchive.ini")
add_custom_target(okarchive_packaged_config ALL DEPENDS ${OKARCHIVE_PACKAGED_CONFIG})

set(OKARCHIVE_SYSUSERSDIR lib/sysusers.d)
# The settings file's path is compiled into the program (src/app/ConfigLocation) and the install paths above were
# fixed at configure time: `cmake --install BUILD --prefix OTHER` cannot move them, so it says so instead of silently
# laying out a program that looks for its settings where none were installed.
install(CODE "if(NOT CMAKE_INSTALL_PREFIX STREQUAL \"${CMAKE_INSTALL_PREFIX}\")
  message(WARNING \"okarchive was configured for the prefix ${CMAKE_INSTALL_PREFIX}, not \${CMAKE_INSTALL_PREFIX}: \"
    \"the program reads, and this installs, the settings file ${CMAKE_INSTALL_FULL_SYSCONFDIR}/okarchive/okarchive.ini. \"
    \"Configure with -DCMAKE_INSTALL_PREFIX=\${CMAKE_INSTALL_PREFIX} to install for \${CMAKE_INSTALL_PREFIX}.\")
endif()")
install(TARGETS okarchive RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The simulator, so an admin can try a settings file without a token (README: "Install on a server").
install(PROGRAMS $<TARGET_FILE:okapi-sim> DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME okarchive-sim)
install(FILES config/okarchive.service DESTINATION ${OKARCHIVE_SYSTEMD_UNITDIR})
# Not CMAKE_INSTALL_LIBDIR: sysusers.d is lib/ on every architecture (lib/x86_64-linux-gnu on Debian is for libraries).
install(FILES config/okarchive.sysusers DESTINATION ${OKARCHIVE_SYSUSERSDIR} RENAME okarchive.conf)
# The FULL path: /etc for the prefix /usr (GNUInstallDirs), where the program looks for it (src/app/ConfigLocation).
install(FILES ${OKARCHIVE_PACKAGED_CONFIG} DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/okarchive RENAME okarchive.ini)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(EXISTS ${PROJECT_SOURCE_DIR}/config/okarchive-alerts.yml)
  install(FILES config/okarchive-alerts.yml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
endif()

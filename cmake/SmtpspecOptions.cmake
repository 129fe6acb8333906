# Compiler warnings shared by every target of the project.
add_library(smtpspec_warnings INTERFACE)
target_compile_options(smtpspec_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>
  $<$<AND:$<BOOL:${SMTPSPEC_WERROR}>,$<CXX_COMPILER_ID:GNU,Clang>>:-Werror>)
install(TARGETS smtpspec_warnings EXPORT smtpspecTargets)

# smtpspec_add_test(NAME source... LIBS lib...): a GoogleTest/RapidCheck program registered with CTest.
function(smtpspec_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main rapidcheck rapidcheck_gtest smtpspec_warnings)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "RC_PARAMS=max_success=1000")
endfunction()

# okarchive_embed_files(TARGET_SOURCE_VAR NAMESPACE FUNCTION FILES...)
# Generates a .cpp that defines `std::vector<EmbeddedFile> NAMESPACE::FUNCTION()` holding each
# file's name and bytes, so SQL migrations and HTML assets ship inside the binary.
function(okarchive_embed_files out_var namespace function)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${function}_embedded.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${namespace} -DFUNCTION=${function}
            "-DFILES=${ARGN}" -P "${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake"
    DEPENDS ${ARGN} "${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake"
    COMMENT "Embedding ${function}"
    VERBATIM)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

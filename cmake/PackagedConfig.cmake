# Writes the packaged settings file (installed as SYSCONFDIR/okarchive/okarchive.ini) from the one sample,
# config/okarchive.ini: the archive under /var/lib/okarchive (the unit's StateDirectory) and the token read from
# /etc/okarchive/token. Every replaced line must be in the sample, so a changed sample fails the build instead of
# silently shipping a file without them.
#   cmake -DINPUT=config/okarchive.ini -DOUTPUT=okarchive.packaged.ini -DSTATE_DIR=/var/lib/okarchive
#         -DTOKEN_FILE=/etc/okarchive/token -P cmake/PackagedConfig.cmake
file(READ "${INPUT}" text)

function(packaged_replace from to)
  string(FIND "${text}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${INPUT}: the packaged settings file needs the line '${from}' in the sample")
  endif()
  string(REPLACE "${from}" "${to}" replaced "${text}")
  set(text "${replaced}" PARENT_SCOPE)
endfunction()

packaged_replace("\ndatabase = okarchive.db\n" "\ndatabase = ${STATE_DIR}/okarchive.db\n")
packaged_replace("\n;access_token_file =\n" "\naccess_token_file = ${TOKEN_FILE}\n")
set(header "; The packaged copy of config/okarchive.ini (okarchive's sample of every key), read by the okarchive service\n")
string(APPEND header "; and by `okarchive` run without --config. Set sync.chats, put the bot's token in ${TOKEN_FILE}, then\n")
string(APPEND header ";   systemctl enable --now okarchive\n")
file(WRITE "${OUTPUT}.tmp" "${header}${text}")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")

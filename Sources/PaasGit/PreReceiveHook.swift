/// The pre-receive hook installed in every app repository.
///
/// git runs it after receiving a push and before updating any ref. It hands the ref updates to
/// paasd (the URL and a one-time token come from the environment paasd gave receive-pack, and
/// reach curl through a descriptor, not its arguments), and
/// paasd checks them and builds the app while the push is open. paasd's answer streams back as
/// the hook's output, which git shows the pusher as `remote:` lines; its last line decides
/// whether git accepts the push. `GIT_QUARANTINE_PATH` tells paasd where the pushed objects wait.
enum PreReceiveHook {
    /// The last line of paasd's answer when the push is accepted; any other verdict rejects it.
    static let acceptedLine = "paas-push-result accepted"
    /// Prefix of the verdict line.
    static let verdictPrefix = "paas-push-result "

    static let script = """
        #!/bin/sh
        # paas pre-receive hook: paasd checks and builds the push while it is open (see PaasGit).
        if [ -z "${PAAS_PUSH_URL:-}" ]; then
            echo " !     This repository only takes pushes through paasd (git push paas main)." >&2
            exit 1
        fi
        # The URL and the one-time token go to curl as a config on descriptor 3, never in its
        # command line, where any local user could read them (ps).
        curl -sS --no-buffer -X POST --data-binary @- -K /dev/fd/3 3<<PAAS_CURL_CONFIG | {
        url = "$PAAS_PUSH_URL"
        header = "Authorization: Bearer $PAAS_PUSH_TOKEN"
        header = "X-Git-Quarantine-Path: ${GIT_QUARANTINE_PATH:-}"
        PAAS_CURL_CONFIG
            verdict=rejected
            while IFS= read -r line; do
                case $line in
                    "\(acceptedLine)") verdict=accepted ;;
                    "\(verdictPrefix)"*) ;;
                    *) printf '%s\\n' "$line" ;;
                esac
            done
            [ "$verdict" = accepted ]
        }

        """
}

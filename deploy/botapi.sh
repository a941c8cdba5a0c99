#!/bin/sh
# Call one Bot API method with the token from an env file and print Telegram's answer.
#
#   deploy/botapi.sh [ENV_FILE] [METHOD]
#       ENV_FILE  default: gjz.env beside this script (systemd host: /etc/gjz/gjz.env)
#       METHOD    default: getWebhookInfo (also useful: getMe, to check the token)
#
# It is curl with the URL read from standard input, so the token never appears on a
# command line (ps, shell history). The env file is read, not executed.
set -eu

env_file=${1:-$(dirname "$0")/gjz.env}
method=${2:-getWebhookInfo}
[ -r "$env_file" ] || { echo "botapi.sh: cannot read $env_file (try sudo)" >&2; exit 2; }

# The last KEY=value line for KEY, with surrounding quotes removed.
value() {
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$env_file" | tail -n 1 \
        | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

token=$(value GJZ_TELEGRAM_TOKEN)
api=$(value GJZ_TELEGRAM_API_URL)
[ -n "$token" ] || { echo "botapi.sh: GJZ_TELEGRAM_TOKEN is not set in $env_file" >&2; exit 2; }

printf 'url = "%s%s/%s"\n' "${api:-https://api.telegram.org/bot}" "$token" "$method" \
    | curl --silent --show-error --max-time 30 --config - \
    | if command -v jq >/dev/null 2>&1; then jq .; else cat; echo; fi

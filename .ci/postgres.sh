# Start a throwaway PostgreSQL cluster on 127.0.0.1 and export ACTDESK_TEST_PG_URL. Sourced by .ci/run.
start_postgres() {
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$bindir" ] || return 1
    local data=/tmp/actdesk-ci-pg
    local port=${ACTDESK_PG_PORT:-54329}
    # A port another server already holds (a developer's own cluster) is skipped.
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    rm -rf "$data"
    mkdir -p "$data"
    chown postgres:postgres "$data" 2>/dev/null || true
    local as="runuser -u postgres --"
    [ "$(id -u)" -ne 0 ] && as=""
    $as "$bindir/initdb" -D "$data" -U actdesk --auth=trust >/dev/null || return 1
    $as "$bindir/pg_ctl" -D "$data" -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp" -l "$data/log" -w start >/dev/null || return 1
    $as "$bindir/createdb" -h 127.0.0.1 -p "$port" -U actdesk actdesk_test || return 1
    export ACTDESK_TEST_PG_URL="postgresql+psycopg://actdesk@127.0.0.1:$port/actdesk_test"
    echo "PostgreSQL running: $ACTDESK_TEST_PG_URL"
}

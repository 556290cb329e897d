#!/usr/bin/env bash
# One command for a fresh machine: install, then run the main job on the embedded default
# (one SQLite file, no server) with the sample judgments shipped in samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ANJIAN_DATA_DIR=${ANJIAN_DATA_DIR:-$PWD/anjian-data}
A=.venv/bin/anjian
echo "==> 载入示例单位名录（县级部门、乡镇的全称与简称）"
$A agencies load-sample || true
echo "==> 导入样例裁判文书 samples/（文本PDF、扫描件、DOCX，以及两个有问题的文件）"
$A ingest samples/
echo
echo "==> 败诉原因统计（全部期间）"
$A stats --by cause || true
echo
echo "==> 按单位排名"
$A stats --by agency || true
echo
echo "==> 检索：结果:败诉 原因:违反法定程序"
$A search '结果:败诉 原因:违反法定程序' --size 5 || true
echo
mkdir -p "$ANJIAN_DATA_DIR/reports"
$A collection --cause procedure -o "$ANJIAN_DATA_DIR/reports/典型案例汇编-程序违法.docx" || true
echo
echo "数据目录：$ANJIAN_DATA_DIR    浏览器查看：ANJIAN_DEMO=1 .venv/bin/anjian serve  （http://127.0.0.1:8000）"

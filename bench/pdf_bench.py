"""PDF cost: the portal's child-process render against a plain in-process WeasyPrint render.

Documents: a 6-page monthly sheet (200 staff x 31 days) and a ~30-page bulletin, built from the
portal's own PDF stylesheet. Memory: 10 renders in one process (how a web worker would grow) against
10 renders through the portal (the worker's size stays flat; each child's peak is reported).
"""
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSS = (ROOT / "static" / "css" / "pdf.css").read_text(encoding="utf-8")
RENDERS_PER_CHILD = 5
NAMES = "王伟 李娜 张敏 刘洋 陈静 杨磊 黄丽 赵军 吴艳 周杰".split()


def monthly_sheet() -> str:
    head = "".join(f"<th>{d}</th>" for d in range(1, 32))
    rows = "".join(
        f"<tr><td>{NAMES[i % 10]}{i}</td><td>窗口{i % 55 + 1}</td>"
        + "".join(f"<td>{'√' if (i + d) % 7 else '迟'}</td>" for d in range(1, 32)) + "</tr>"
        for i in range(200))
    return (f"<html><head><meta charset=utf-8><style>{CSS} @page {{ size: A4 landscape; }} "
            f"td, th {{ padding: 0.6mm; font-size: 7pt; }}</style></head><body><h1>2026年11月考勤汇总</h1>"
            f"<table><thead><tr><th>姓名</th><th>窗口</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>")


def bulletin() -> str:
    parts = []
    for section in range(30):
        rows = "".join(f"<tr><td>{section * 25 + r}</td><td>{NAMES[r % 10]}</td><td>第{r % 55 + 1}号窗口</td>"
                       f"<td>工作时间玩手机，经提醒后当场纠正。</td><td>-2</td></tr>" for r in range(25))
        parts.append(f"<h2>第{section + 1}部分 巡查发现问题</h2><p>本周共巡查 {section + 10} 次，"
                     f"发现问题如下。</p><table><tbody>{rows}</tbody></table>")
    return (f"<html><head><meta charset=utf-8><style>{CSS}</style></head><body><h1>2026年第四季度巡查通报</h1>"
            + "".join(parts) + "</body></html>")


def plain(html: str) -> float:
    from weasyprint import HTML
    start = time.perf_counter()
    HTML(string=html, base_url=str(ROOT / "static")).write_pdf()
    return time.perf_counter() - start


def via_portal(html: str) -> float:
    """Render the way portal.pdf.render_pdf does: in the recycled child process."""
    from portal.pdf import _render_pool, html_to_pdf
    start = time.perf_counter()
    data = _render_pool(RENDERS_PER_CHILD).submit(html_to_pdf, html).result()
    assert data.startswith(b"%PDF-")
    return time.perf_counter() - start


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def pages(html: str) -> int:
    from weasyprint import HTML
    return len(HTML(string=html, base_url=str(ROOT / "static")).render().pages)


def run(repeat: int = 3, memory_renders: int = 10) -> str:
    docs = {"monthly sheet, 200 staff x 31 days": monthly_sheet(), "quarterly bulletin": bulletin()}
    lines = ["## PDFs", "", "Each plain render is followed by one through the portal; the ratio is the median of the "
             "pairs' ratios.", "",
             "| document | pages | plain WeasyPrint s (median) | through the portal s (median) | ratio |",
             "|---|---:|---:|---:|---:|"]
    for name, html in docs.items():
        plain(html)  # warm the import and font cache, as a running process would have them
        via_portal(html)
        # Alternate the two so a busier moment of the machine weighs on both alike.
        pairs = [(plain(html), via_portal(html)) for _ in range(repeat)]
        p, q = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
        ratio = statistics.median(b / a for a, b in pairs)
        lines.append(f"| {name} | {pages(html)} | {p:.2f} | {q:.2f} | {ratio:.2f}x |")
    html = docs["monthly sheet, 200 staff x 31 days"]
    before = rss_mb()
    inproc = []
    for _ in range(memory_renders):
        inproc.append(plain(html))
    grown = rss_mb()
    parent_before = rss_mb()
    child = [via_portal(html) for _ in range(memory_renders)]
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines += ["", f"Memory over {memory_renders} renders of the monthly sheet:", "",
              f"- in one process (what a web worker would do): resident {before:.0f} MB before, {grown:.0f} MB after; "
              f"render time first {inproc[0]:.2f} s, last {inproc[-1]:.2f} s.",
              f"- through the portal (a child process, replaced after {RENDERS_PER_CHILD} renders): "
              f"the worker stays at {parent_before:.0f} → "
              f"{rss_mb():.0f} MB; each child peaks at {child_peak:.0f} MB and returns it all when it exits; "
              f"render time first {child[0]:.2f} s, last {child[-1]:.2f} s.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(repeat=int(sys.argv[1]) if len(sys.argv) > 1 else 3,
              memory_renders=int(sys.argv[2]) if len(sys.argv) > 2 else 10))

// The style sheet and script, kept in the module so that Hearth serves everything itself.
#include "assets.hpp"

namespace hearth::dashboards {
namespace {

// Colours meet WCAG 2.1 AA contrast on their backgrounds (4.5:1 for text); focus is
// always visible.
constexpr std::string_view kCss = R"css(:root{--ink:#1b1b1b;--paper:#fff;--accent:#0b4f8a;--muted:#4a4a4a;--line:#c9c9c9;
--red:#a1121b;--amber:#7a4d00;--green:#1e6b2f}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--paper)}
a{color:var(--accent)}
:focus-visible{outline:3px solid #ff9e1b;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:var(--paper);padding:4px 8px}
header.top{display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:8px 16px;border-bottom:1px solid var(--line)}
header.top nav ul{display:flex;flex-wrap:wrap;gap:12px;list-style:none;margin:0;padding:0}
header.top nav a[aria-current=page]{font-weight:700;text-decoration:none}
.brand{font-weight:700}.who{margin:0 0 0 auto;color:var(--muted)}
form.inline{display:inline}
main{padding:16px;max-width:72rem}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}
caption{text-align:left;font-weight:700;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
button{font:inherit;padding:4px 12px;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
button.secondary{background:var(--paper);color:var(--accent)}
label{display:block;font-weight:600;margin-top:8px}
input,select,textarea{font:inherit;padding:4px;border:1px solid var(--muted);border-radius:4px}
textarea{width:100%;max-width:40rem}
.level{display:inline-block;padding:0 8px;border-radius:4px;color:#fff;font-weight:700}
.level-red{background:var(--red)}.level-amber{background:var(--amber)}.level-green{background:var(--green)}
.level-none{background:var(--muted)}
.personas ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px}
.notice{border-left:4px solid var(--accent);padding:4px 12px;background:#eef4fa}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.facts dt{font-weight:600}
body.badge{font-size:14px;margin:4px}
.badge-box{display:flex;gap:8px;align-items:baseline}
)css";

// Shows the level field of a decision or revision form only for an override; everything works
// without it.
constexpr std::string_view kJs = R"js('use strict';
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('form[data-test="decision-form"], form[data-test="revise-form"]').forEach(function (form) {
    var choice = form.querySelectorAll('input[name="decision"]');
    var level = form.querySelector('[data-role="override-level"]');
    if (!level) { return; }
    function sync() {
      var checked = form.querySelector('input[name="decision"]:checked');
      level.hidden = !(checked && checked.value === 'override');
    }
    choice.forEach(function (c) { c.addEventListener('change', sync); });
    sync();
  });
});
)js";

const Asset kAssets[] = {
    {"/dashboard/assets/app.css", "text/css; charset=utf-8", kCss},
    {"/dashboard/assets/app.js", "text/javascript; charset=utf-8", kJs},
};

} // namespace

const Asset *find_asset(std::string_view path) {
  for (const auto &asset : kAssets) {
    if (asset.path == path) {
      return &asset;
    }
  }
  return nullptr;
}

} // namespace hearth::dashboards

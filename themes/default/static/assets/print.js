// Printing: after the text of each link in the main content, print:css shows
// where it goes (`main a[data-print-href]::after`). Site links are relative
// (../../departments/…), which nobody can type from paper, so before printing
// each one gets its absolute address, resolved against the page's canonical
// URL. Without this script only absolute links print their address.
addEventListener('beforeprint', () => {
  const canonical = document.querySelector('link[rel="canonical"]');
  const base = canonical ? canonical.href : location.href;
  for (const a of document.querySelectorAll('main a[href]:not([href^="#"]):not([data-print-href])')) {
    try {
      a.setAttribute('data-print-href', new URL(a.getAttribute('href'), base).href);
    } catch {
      // An address the browser cannot read: print none.
    }
  }
});

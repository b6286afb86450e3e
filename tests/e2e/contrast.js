// WCAG 2 contrast of every visible text on the page, from the browser's computed styles.
// Returns the texts below AA: 4.5:1, or 3:1 for large text (24px, or 18.66px bold). The
// background is found by walking up to the first ancestors with a colour and blending their
// alpha; text over an image or gradient is left out (it cannot be computed this way).
() => {
  // Colours are read as they settle, not halfway through a transition or the live flash.
  const still = document.createElement("style");
  still.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.head.append(still);
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) { return null; }
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const blend = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = (c) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const background = (element) => {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== "none" && !style.backgroundImage.startsWith("url(\"data:image/svg")) {
        return null;
      }
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) { break; }
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) { result = blend(layer, result); }
    return result;
  };
  const hidden = (element) => {
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) { return true; }
      if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)") { return true; }
    }
    const box = element.getBoundingClientRect();
    return box.width < 2 || box.height < 2;
  };
  const failures = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const element = text.parentElement;
    if (!text.textContent.trim() || !element || seen.has(element)) { continue; }
    seen.add(element);
    if (element.closest("script, style, noscript, option, [disabled], .disabled") || hidden(element)) { continue; }
    const style = getComputedStyle(element);
    const back = background(element);
    if (!back) { continue; }
    let opacity = 1;
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      opacity *= Number(getComputedStyle(node).opacity);
    }
    const colour = parse(style.color);
    const fore = blend({ ...colour, a: colour.a * opacity }, back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed - 0.005) {
      failures.push(`${ratio.toFixed(2)}:1 < ${needed} “${text.textContent.trim().slice(0, 30)}” <${element.tagName.toLowerCase()} class="${element.className}"> ${style.color} on rgb(${Math.round(back.r)}, ${Math.round(back.g)}, ${Math.round(back.b)})`);
    }
  }
  return failures;
}

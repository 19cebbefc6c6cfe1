// One plotly chart that stays on the page across reruns (see plot_element.py).
// The first run draws it; later runs update it in place with Plotly.react,
// so a filter change costs an update, not a new plot.

function loadPlotly(url) {
  if (!window.__guaranteeAtlasPlotly) {
    window.__guaranteeAtlasPlotly = new Promise((resolve, reject) => {
      if (window.Plotly) return resolve(window.Plotly);
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => {
        performance.mark("atlas:plotly-ready");  // where a page's time goes (bench/first_render.py)
        resolve(window.Plotly);
      };
      script.onerror = () => {
        window.__guaranteeAtlasPlotly = null;
        const error = new Error(`the chart library (${url}) did not load`);
        error.libraryUrl = url;  // told in the page's language where it is shown
        reject(error);
      };
      document.head.appendChild(script);
    });
  }
  return window.__guaranteeAtlasPlotly;
}

// The world geometry a figure's maps draw on ("world_110m"), one name per resolution its geo panels use.
function geometryNames(figure) {
  const layout = figure.layout || {};
  const geos = Object.keys(layout).filter((key) => /^geo\d*$/.test(key));
  return [...new Set(geos.map((key) => `world_${layout[key].resolution ?? 110}m`))];
}

// Fetched once per page and handed to plotly.js before the first map draws: left to itself, every geo
// panel that starts drawing before the file has arrived fetches and parses it again (16 times for the four
// maps side by side). If this fetch fails, plotly.js fetches the file itself.
function loadGeometry(baseUrl, name) {
  const loads = (window.__guaranteeAtlasGeometry ??= {});
  loads[name] ??= fetch(`${baseUrl}${name}.json`)
    .then((response) => (response.ok ? response.json() : null))
    .then((topology) => {
      if (!topology) return;
      window.PlotlyGeoAssets ??= { topojson: {} };
      window.PlotlyGeoAssets.topojson[name] ??= topology;
    })
    .catch(() => {});
  return loads[name];
}

// A chart away from the screen is drawn when it comes within NEAR_VIEW of it: a page of four maps
// draws the ones a reader sees first, and the rest as they scroll into view. A "beforeprint" event
// starts every chart still waiting (the browser tests send it to have the whole page drawn).
const NEAR_VIEW = 200;  // px above and below the screen
let drawEverything = false;
window.addEventListener("beforeprint", () => { drawEverything = true; });
window.addEventListener("afterprint", () => { drawEverything = false; });

function nearView(element) {
  const box = element.getBoundingClientRect();
  return box.top < window.innerHeight + NEAR_VIEW && box.bottom > -NEAR_VIEW;
}

function whenNearView(chart) {
  if (drawEverything || nearView(chart)) return Promise.resolve();
  chart.dataset.state = "waiting";  // off screen, not drawn yet (an update that comes meanwhile waits too)
  return new Promise((resolve) => {
    const done = () => {
      observer.disconnect();
      window.removeEventListener("beforeprint", done);
      chart.dataset.state = "drawing";
      resolve();
    };
    const observer = new IntersectionObserver(
      (entries) => { if (entries.some((entry) => entry.isIntersecting)) done(); },
      { rootMargin: `${NEAR_VIEW}px 0px` },
    );
    observer.observe(chart);
    window.addEventListener("beforeprint", done);
  });
}

// Only what the server reads from a click: plotly's points hold the whole figure.
function clickedPoints(event) {
  return (event.points || []).map((p) => ({
    curve_number: p.curveNumber,
    point_index: p.pointIndex ?? p.pointNumber,
    location: p.location ?? null,
    customdata: p.customdata ?? null,
  }));
}

const FULLSCREEN_ICON = {
  width: 448,
  height: 512,
  path: "M32 32C14 32 0 46 0 64v96c0 18 14 32 32 32s32-14 32-32V96h64c18 0 32-14 32-32s-14-32-32-32H32zM64 352c0-18-14-32-32-32S0 334 0 352v96c0 18 14 32 32 32h96c18 0 32-14 32-32s-14-32-32-32H64v-64zM320 32c-18 0-32 14-32 32s14 32 32 32h64v64c0 18 14 32 32 32s32-14 32-32V64c0-18-14-32-32-32h-96zM448 352c0-18-14-32-32-32s-32 14-32 32v64h-64c-18 0-32 14-32 32s14 32 32 32h96c18 0 32-14 32-32v-96z",
};

// The element's own words come with each payload, in the page's language (plot_element.texts).
const ENGLISH = {
  error: "This chart could not be drawn: {error}. Reload the page; the data stay downloadable below.",
  fullscreen: "Fullscreen",
  image: "Download plot as a {format}",
  library: "the chart library ({url}) did not load",
};

function words(chart) {
  return { ...ENGLISH, ...(chart.__atlas.latest?.texts || {}) };
}

function fullscreenButton(chart) {
  return {
    name: "Fullscreen",
    title: words(chart).fullscreen,
    icon: FULLSCREEN_ICON,
    click: () => (document.fullscreenElement ? document.exitFullscreen() : chart.requestFullscreen()),
  };
}

// The image button: the figure as built (title and source line inside), at the export size.
// On screen the page shows the title above the chart, so the screen layout leaves it out.
function imageButton(chart, Plotly) {
  const options = () => chart.__atlas.latest.config.toImageButtonOptions;
  return {
    name: "toImageWithTitle",
    // "Download plot as a PNG" (or SVG), as plotly's own button said; the format follows the chart's control.
    title: words(chart).image.replace("{format}", options().format.toUpperCase()),
    icon: Plotly.Icons.camera,
    click: () => {
      const { figure } = chart.__atlas.latest;
      const { filename, ...imageOptions } = options();
      Plotly.toImage({ data: figure.data, layout: figure.layout }, imageOptions).then((url) => {
        const link = document.createElement("a");
        link.href = url;
        link.download = `${filename}.${imageOptions.format}`;
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    },
  };
}

function screenLayout(layout) {
  const screen = layout.meta?.screen;
  if (!screen) return layout;
  return { ...layout, title: { ...layout.title, text: "" }, margin: { ...layout.margin, t: screen.margin_t }, height: screen.height };
}

// Runs once per chart element: resize with its column, clicks, fullscreen.
function bind(chart, Plotly) {
  let width = chart.clientWidth;
  const observer = new ResizeObserver(() => {
    if (chart.clientWidth !== width && chart.clientWidth > 0) {
      width = chart.clientWidth;
      Plotly.Plots.resize(chart);
    }
  });
  observer.observe(chart);
  chart.on("plotly_click", (event) => {
    // Only charts drawn with on_select take clicks; a click elsewhere must not rerun the page.
    if (chart.__atlas.latest.selectable) chart.__atlas.setStateValue("selection", { points: clickedPoints(event) });
  });
  let heightBefore = null;  // plotly keeps the layout it is given: remember the figure's own height
  const onFullscreen = () => {
    if (document.fullscreenElement === chart) {
      heightBefore = chart.layout.height ?? null;
      Plotly.relayout(chart, { height: window.innerHeight, width: window.innerWidth });
    } else {
      Plotly.relayout(chart, { height: heightBefore, width: null });
    }
  };
  chart.addEventListener("fullscreenchange", onFullscreen);
  return () => {
    observer.disconnect();
    chart.removeEventListener("fullscreenchange", onFullscreen);
    Plotly.purge(chart);
  };
}

// Draws the latest payload once the previous draw has finished (latest wins).
function drawLatest(chart, Plotly) {
  const state = chart.__atlas;
  const payload = state.latest;
  if (payload === state.drawn) return Promise.resolve();
  state.drawn = payload;
  const config = { ...payload.config, modeBarButtonsToAdd: [imageButton(chart, Plotly), fullscreenButton(chart)] };
  // Resolves once drawn, maps included (plotly fetches their geometry first).
  const started = performance.now();
  return Plotly.react(chart, payload.figure.data, screenLayout(payload.figure.layout), config).then(() => {
    if (state.latest === payload) chart.dataset.state = "drawn";
    performance.measure("atlas:chart-draw", { start: started, end: performance.now() });
  });
}

let descriptions = 0;

// The chart is a figure (not an img: an img's content is hidden from screen readers, and this one holds
// the toolbar's buttons), named by its title and described by the words computed from its rows, kept
// off screen in an element of its own beside it.
function describedChart(parentElement) {
  const description = document.createElement("div");
  description.className = "atlas-chart-description";
  description.id = `atlas-chart-description-${++descriptions}-${Math.random().toString(36).slice(2, 8)}`;
  parentElement.appendChild(description);
  const chart = document.createElement("div");
  chart.className = "atlas-chart";
  chart.setAttribute("role", "figure");
  chart.setAttribute("aria-describedby", description.id);
  return chart;
}

export default function ({ parentElement, data, setStateValue }) {
  let chart = parentElement.querySelector(".atlas-chart");
  if (!chart) {
    chart = describedChart(parentElement);
    chart.__atlas = { text: null, latest: null, drawn: null, queue: Promise.resolve(), unbind: null };
    parentElement.appendChild(chart);
  }
  const state = chart.__atlas;
  state.setStateValue = setStateValue;
  const text = new TextDecoder().decode(data);
  if (text !== state.text) {
    state.text = text;
    state.latest = JSON.parse(text);
    // "drawing" until this payload is on screen ("waiting" while the chart waits to be scrolled near):
    // what tests and benchmarks wait for.
    if (chart.dataset.state !== "waiting") chart.dataset.state = "drawing";
    chart.setAttribute("aria-label", state.latest.label);
    const description = parentElement.querySelector(".atlas-chart-description");
    if (description) description.textContent = state.latest.description || "";
    // Hold the chart's height while the library loads: nothing below it jumps.
    chart.style.minHeight = `${screenLayout(state.latest.figure.layout).height ?? 450}px`;
    const geometry = geometryNames(state.latest.figure).map((name) => loadGeometry(state.latest.config.topojsonURL, name));
    state.queue = state.queue
      .then(() => Promise.all([loadPlotly(state.latest.plotly), ...geometry]))
      // asked once the library is in, when the page around the chart has been laid out
      .then(([Plotly]) => whenNearView(chart).then(() => Plotly))
      .then((Plotly) =>
        drawLatest(chart, Plotly).then(() => {
          if (!state.unbind) state.unbind = bind(chart, Plotly);
        }),
      )
      .catch((error) => {
        chart.dataset.state = "error";
        const { error: message, library } = words(chart);
        const what = error.libraryUrl ? library.replace("{url}", error.libraryUrl) : error.message;
        chart.textContent = message.replace("{error}", what);
      });
  }
  return () => state.unbind?.();
}

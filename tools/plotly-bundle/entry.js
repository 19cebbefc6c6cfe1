// plotly.js with only what Guarantee Atlas draws: scatter (in core), bar, choropleth, scattergeo,
// and the Ukrainian locale (modebar, dates and numbers in charts). Built by `make plotly-bundle`.
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/choropleth"),
  require("plotly.js/lib/scattergeo"),
  require("plotly.js/lib/locales/uk"),
]);

module.exports = Plotly;

// The query editor of akimat-kg serve: YASGUI (vendored) on this server's endpoint, one tab per ready-made query
// of queries/. No storage between visits, no requests to other hosts (the LOV and prefix.cc autocompleters are off).
(function () {
  "use strict";
  var endpoint = new URL("/sparql", window.location.href).toString();
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autoAddOnInit: false,
    populateFromUrl: false,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
    yasqe: { autocompleters: ["prefixes", "variables"] },
  });
  window.akimatYasgui = yasgui;
  fetch("/ui/queries.json")
    .then(function (response) {
      if (!response.ok) throw new Error("queries.json: " + response.status);
      return response.json();
    })
    .then(function (queries) {
      queries.forEach(function (q, i) {
        yasgui.addTab(i === 0, {
          name: q.name,
          yasqe: { value: q.query },
          requestConfig: { endpoint: endpoint, method: "POST" },
        });
      });
      document.body.setAttribute("data-queries", String(queries.length));
    })
    .catch(function (error) {
      document.body.setAttribute("data-queries-error", String(error));
    });
})();

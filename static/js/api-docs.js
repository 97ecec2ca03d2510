// Swagger UI over the project's own OpenAPI schema; served from our static files (installed
// from the npm registry), so the page works on a closed network. No inline script (CSP).
(function () {
  var node = document.getElementById("swagger-ui");
  if (!node || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: node.dataset.schemaUrl,
    domNode: node,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
})();

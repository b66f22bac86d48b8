// Renders the hall's OpenAPI contract with the vendored Swagger UI (no inline script: the
// page's CSP allows this file and the bundle by hash, nothing else).
window.addEventListener('DOMContentLoaded', function () {
  // Relative to /api/docs, so the page also works behind an API Gateway stage prefix.
  window.ui = window.SwaggerUIBundle({
    url: new URL('v1/openapi.yaml', document.baseURI).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null, // never send the spec to swagger.io's validator
  });
});

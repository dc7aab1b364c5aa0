// The API reference page: swagger-ui (served from node_modules) reading the app's own OpenAPI document.
(() => {
  const root = document.getElementById('swagger-ui');
  // eslint-disable-next-line no-undef
  SwaggerUIBundle({ url: root.dataset.spec, domNode: root, validatorUrl: null, deepLinking: true });
})();

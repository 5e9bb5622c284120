// jsdom cannot parse the modern CSS that Backstage's UI packages inject, and reports every such stylesheet as
// an error of its own (tens of thousands of lines per run). Those reports say nothing about the code under
// test, so this environment drops exactly them and forwards everything else jsdom prints.
const JSDOMEnvironment = require('jest-environment-jsdom').default;

function isCssParseError(value) {
  return (
    value instanceof Error && value.message === 'Could not parse CSS stylesheet'
  );
}

class QuietCssJsdomEnvironment extends JSDOMEnvironment {
  constructor(config, context) {
    const original = context.console;
    const console = new Proxy(original, {
      get(target, property) {
        if (property === 'error') {
          return (...args) =>
            isCssParseError(args[0]) ? undefined : target.error(...args);
        }
        const value = target[property];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    super(config, { ...context, console });
  }
}

module.exports = QuietCssJsdomEnvironment;

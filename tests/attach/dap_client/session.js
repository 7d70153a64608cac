// One debugger session through the tunnel, driven by Microsoft's DAP client as VS Code's debug
// adapters are tested: `node session.js PORT LOCAL_FILE LINE LOCAL_ROOT REMOTE_ROOT MODE`.
// It attaches by TCP with pathMappings, sets a breakpoint on the local path and prints
// "ready" when the breakpoint is set; the test then makes the HTTP request. Each step prints one
// JSON line. MODE "roundtrip" reads the stack, a local and an expression, then continues and
// disconnects; MODE "drop" closes the connection while paused, as a debugger that dies does.
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const [port, file, line, localRoot, remoteRoot, mode] = process.argv.slice(2);
const say = (event, data) => console.log(JSON.stringify({ event, ...data }));

// In server mode the client disables its own timeouts: bound the whole session here.
setTimeout(() => { say('timeout', {}); process.exit(3); }, 60000).unref();

async function main() {
  const client = new DebugClient('unused', 'unused', 'debugpy');
  await client.start(Number(port));
  await client.initializeRequest({ adapterID: 'debugpy', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  const initialized = client.waitForEvent('initialized');
  // debugpy answers attach only after configurationDone.
  const attached = client.attachRequest({ pathMappings: [{ localRoot, remoteRoot }], justMyCode: false });
  // A refused attach ("already being debugged") never sends "initialized": report it at once.
  await Promise.race([initialized, attached]);
  const breakpoints = await client.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: Number(line) }] });
  await client.configurationDoneRequest();
  await attached;
  say('ready', { verified: breakpoints.body.breakpoints[0].verified });
  const stopped = await client.waitForEvent('stopped', 60000);
  const threadId = stopped.body.threadId;
  const stack = await client.stackTraceRequest({ threadId });
  const top = stack.body.stackFrames[0];
  say('stopped', { reason: stopped.body.reason, line: top.line, path: top.source.path, name: top.name });
  if (mode === 'drop') {
    process.exit(0);  // the socket closes with the process, mid-session
  }
  const scopes = await client.scopesRequest({ frameId: top.id });
  const locals = await client.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
  const name = locals.body.variables.find((v) => v.name === 'name');
  const evaluated = await client.evaluateRequest({ expression: 'name.upper() + "!"', frameId: top.id, context: 'repl' });
  say('inspected', { name: name && name.value, evaluated: evaluated.body.result });
  await client.continueRequest({ threadId });
  await client.disconnectRequest({});
  say('done', {});
  process.exit(0);
}

main().catch((error) => { say('error', { message: String(error && error.message || error) }); process.exit(2); });

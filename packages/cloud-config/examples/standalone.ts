import { execLine, render, serializeUnitFile, unitFile, validate } from '@rax-kube/cloud-config';

const hello = unitFile({
  Unit: { Description: 'Say hello', After: 'network-online.target' },
  Service: { Type: 'oneshot', ExecStart: execLine(['/usr/bin/echo', 'hello, "world" & | #']) },
});
const doc = {
  hostname: 'demo-1',
  write_files: [{ path: '/etc/motd', permissions: '0644', content: 'Managed by cloud-config\n' }],
  coreos: { units: [{ name: 'hello.service', command: 'start' as const, content: serializeUnitFile(hello) }] },
};
console.log(validate(doc).findings); // []
console.log(render(doc).text); // "#cloud-config\n\nhostname: demo-1\n..."

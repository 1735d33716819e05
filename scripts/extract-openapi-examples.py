#!/usr/bin/env python3
"""Extract the examples of the authorization-server operations from Okta's
management API spec into test/unit/admin/openapi/examples.json, the fixture
of test/unit/admin/openapi-examples.test.ts.

The spec (Okta Admin Management API, management.yaml) is not part of the
repository; the fixture keeps only the examples, verbatim (the test applies
its documented repairs). Regenerate after a new spec:

    python3 scripts/extract-openapi-examples.py path/to/management.yaml
    npx biome format --write test/unit/admin/openapi/examples.json

Needs python3 with PyYAML.
"""

import json
import os
import sys

import yaml

PREFIXES = ('/api/v1/authorizationServers', '/api/v1/apps/{appId}/grants', '/api/v1/apps/{appId}/tokens')
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'unit', 'admin', 'openapi', 'examples.json')


def main(spec_path: str) -> None:
    with open(spec_path, encoding='utf-8') as f:
        spec = yaml.safe_load(f)

    def resolve(node):
        while isinstance(node, dict) and '$ref' in node:
            target = spec
            for part in node['$ref'].lstrip('#/').split('/'):
                target = target[part]
            node = target
        return node

    examples = []
    # Error examples are shared components: kept once, with the operations using them.
    errors = {}

    def collect(operation, kind, status, content):
        for media in (content or {}).values():
            named = [(name, resolve(e)) for name, e in sorted((media.get('examples') or {}).items())]
            if 'example' in media:
                named.append(('(example)', {'value': media['example']}))
            for name, example in named:
                if 'value' not in example:
                    continue
                if status is not None and status >= 400:
                    entry = errors.setdefault(name, {'status': status, 'value': example['value'], 'operations': []})
                    entry['operations'].append(operation['operationId'])
                    continue
                examples.append({
                    'operationId': operation['operationId'],
                    'kind': kind,
                    'status': status,
                    'name': name,
                    'value': example['value'],
                })

    operations = []
    for path, item in sorted(spec['paths'].items()):
        if not path.startswith(PREFIXES):
            continue
        for method in ('get', 'post', 'put', 'delete'):
            operation = item.get(method)
            if operation is None:
                continue
            operations.append({'operationId': operation['operationId'], 'method': method.upper(), 'path': path})
            body = resolve(operation.get('requestBody'))
            if body:
                collect(operation, 'request', None, body.get('content'))
            for status, response in sorted(operation.get('responses', {}).items()):
                collect(operation, 'response', int(status), resolve(response).get('content'))

    document = {
        'source': f"{spec['info']['title']} {spec['info']['version']} (management.yaml)",
        'operations': operations,
        'examples': examples,
        'errors': errors,
    }
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'{len(operations)} operations, {len(examples)} examples, {len(errors)} errors -> {os.path.relpath(OUT)}')
    print('then: npx biome format --write', os.path.relpath(OUT))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])

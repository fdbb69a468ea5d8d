from __future__ import annotations

import json

from django.core.management import call_command


def test_the_openapi_schema_is_valid_and_complete_without_warnings(tmp_path):
    path = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(path))
    schema = json.loads(path.read_text())
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    create = schema["paths"]["/credentials"]["post"]
    values = schema["components"]["schemas"]["CredentialCreateInputRequest"]["properties"]["values"]
    assert values["additionalProperties"] == {"type": "string"} and values["writeOnly"] is True
    assert {"200", "400", "401", "409"} <= set(create["responses"])

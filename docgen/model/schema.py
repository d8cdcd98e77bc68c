"""The JSON Schema of a project file, for editors' completion and validation."""

from __future__ import annotations

from typing import Any

from docgen.model.project import FIELD_LABELS, Project, Scoring


def project_schema() -> dict[str, Any]:
    """Return the JSON Schema of a project file (one project, a list, or documents).

    Keys are the form's labels; each English name is accepted too, as an alternative
    property with the same schema.
    """
    schema = Project.model_json_schema(by_alias=True, mode="validation")
    definitions = schema.get("$defs", {})
    for node in [schema, *definitions.values()]:
        _add_english_names(node)
    project = {k: v for k, v in schema.items() if k != "$defs"}
    definitions["Project"] = project
    definitions["Project"]["properties"]["绩效指标"] = {
        "title": "绩效指标",
        "description": project["properties"]["绩效指标"].get("description", ""),
        "anyOf": [
            project["properties"]["绩效指标"],
            {
                "type": "object",
                "description": "按 一级指标 → 二级指标 嵌套的三级指标",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"$ref": "#/$defs/IndicatorInGroup"},
                    },
                },
            },
        ],
    }
    definitions["Project"]["properties"]["indicators"] = definitions["Project"]["properties"][
        "绩效指标"
    ]
    in_group = dict(definitions["Indicator"])
    in_group["title"] = "IndicatorInGroup"
    in_group["allOf"] = [
        rule
        for rule in in_group.get("allOf", [])
        if rule["anyOf"][0]["required"][0] not in ("一级指标", "二级指标")
    ]
    definitions["IndicatorInGroup"] = in_group
    definitions["Scoring"]["enum"] = [name for s in Scoring for name in s.spellings]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "docgen 项目数据",
        "description": "一个项目、项目列表，或多个 YAML 文档各含一个项目",
        "anyOf": [
            {"$ref": "#/$defs/Project"},
            {"type": "array", "items": {"$ref": "#/$defs/Project"}},
        ],
        "$defs": definitions,
    }


def _add_english_names(node: dict[str, Any]) -> None:
    properties = node.get("properties")
    if not properties:
        return
    english = {name: label for name, label in FIELD_LABELS.items() if label in properties}
    for name, label in english.items():
        properties[name] = {**properties[label], "description": f"= {label}"}
    required = node.get("required")
    if required:
        # A key is required in either spelling: state it as "one of the two".
        node["allOf"] = [
            {"anyOf": [{"required": [label]}, {"required": [name]}]}
            for name, label in english.items()
            if label in required
        ]
        del node["required"]

"""Reads what a benchmark needs from a CloudFormation template of infra/templates, so that the benchmark runs
what deploys (the templates are the source of truth) instead of repeating it:

  task_definition.py TEMPLATE default-size              the TaskSize parameter's default, e.g. 512-1024
  task_definition.py TEMPLATE smallest-size             its smallest allowed value, e.g. 256-512
  task_definition.py TEMPLATE env CONTAINER NAME        a literal environment value of one container

Needs PyYAML (Debian: python3-yaml). CloudFormation's short tags (!Ref, !Sub, ...) are read as plain values:
only literal values are looked up here.
"""
import sys

import yaml


class TemplateLoader(yaml.SafeLoader):
    pass


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


TemplateLoader.add_multi_constructor("!", _any_tag)


def size_key(size):
    cpu, memory = size.split("-")
    return int(cpu), int(memory)


def main(path, what, *args):
    with open(path) as f:
        template = yaml.load(f, Loader=TemplateLoader)
    task_size = template["Parameters"]["TaskSize"]
    if what == "default-size":
        return task_size["Default"]
    if what == "smallest-size":
        return min(task_size["AllowedValues"], key=size_key)
    if what == "env":
        container, name = args
        for resource in template["Resources"].values():
            if resource["Type"] != "AWS::ECS::TaskDefinition":
                continue
            for definition in resource["Properties"]["ContainerDefinitions"]:
                if definition["Name"] == container:
                    for variable in definition.get("Environment", []):
                        if variable["Name"] == name:
                            return variable["Value"]
        sys.exit(f"{path}: no literal {name} in the environment of container {container}")
    sys.exit(f"unknown question {what}")


if __name__ == "__main__":
    print(main(*sys.argv[1:]))

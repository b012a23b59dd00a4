"""The data layer: YAML with positions, the schema, the dataset and its checks. It imports nothing from the build, pages or prose."""

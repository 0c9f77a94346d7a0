"""The entities the subsidies are paid to: persons (个人), enterprises (用人单位, whose members
are the persons employed there) and communities (社区/村, whose members are the residents)."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="个人",
    doc="A resident of the labour-resource registry.",
    is_person=True,
)

Enterprise = build_entity(
    key="enterprise",
    plural="enterprises",
    label="用人单位",
    doc="An employer by unified social credit code; its members are the persons whose "
    "current employment is registered with it.",
    roles=[{"key": "employee", "plural": "employees", "label": "职工"}],
)

Community = build_entity(
    key="community",
    plural="communities",
    label="社区(村)",
    doc="A community or village committee; its members are its residents.",
    roles=[{"key": "resident", "plural": "residents", "label": "居民"}],
)

entities = [Person, Enterprise, Community]

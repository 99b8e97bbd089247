"""keystone.identity.mapping_backends.mapping.EntityType: the values of an Enum of the initial revision."""


class EntityType:
    USER = "user"
    GROUP = "group"

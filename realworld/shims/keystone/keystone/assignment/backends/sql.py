"""keystone.assignment.backends.sql.AssignmentType: the values of an Enum of the initial revision."""


class AssignmentType:
    USER_PROJECT = "UserProject"
    GROUP_PROJECT = "GroupProject"
    USER_DOMAIN = "UserDomain"
    GROUP_DOMAIN = "GroupDomain"

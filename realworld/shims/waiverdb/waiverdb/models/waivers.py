"""waiverdb.models.waivers (waiverdb 1.4.0): the two subject conversions f6bc296ba966 applies to each
waiver, as waiverdb writes them (the models left out)."""


def subject_dict_to_type_identifier(subject):
    if (subject.get('type') in ['koji_build', 'brew-build']
            and 'item' in subject
            and isinstance(subject['item'], str)):
        return ('koji_build', subject['item'])
    elif 'original_spec_nvr' in subject and isinstance(subject['original_spec_nvr'], str):
        return ('koji_build', subject['original_spec_nvr'])
    elif 'productmd.compose.id' in subject and isinstance(subject['productmd.compose.id'], str):
        return ('compose', subject['productmd.compose.id'])
    elif 'item' in subject and isinstance(subject['item'], str):
        return (subject.get('type'), subject['item'])
    raise ValueError('Subject type should be non empty string, actual value is: %r' % subject)


def subject_type_identifier_to_dict(subject_type, subject_identifier):
    if subject_type == 'compose':
        return {'productmd.compose.id': subject_identifier}
    elif subject_type and isinstance(subject_type, str):
        return {'type': subject_type, 'item': subject_identifier}
    raise ValueError(('Subject type should be non empty string, '
                      'actual value is: %r') % subject_type)

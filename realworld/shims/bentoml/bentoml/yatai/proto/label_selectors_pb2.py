"""bentoml.yatai.proto.label_selectors_pb2: a generated protobuf message the label store's queries take."""


class LabelSelectors:
    pass

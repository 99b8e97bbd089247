"""What bentoml 0.8.6's package __init__ modules define that its models modules import (they run bare:
bentoml/__init__.py configures logging and imports the whole package): the two names, as bentoml
writes them."""
import bentoml.utils
import bentoml.yatai.deployment


def ProtoMessageToDict(protobuf_msg, **kwargs):  # noqa: N802 - bentoml's name
    from google.protobuf.json_format import MessageToDict

    if "preserving_proto_field_name" not in kwargs:
        kwargs["preserving_proto_field_name"] = True
    return MessageToDict(protobuf_msg, **kwargs)


bentoml.utils.ProtoMessageToDict = ProtoMessageToDict
bentoml.yatai.deployment.ALL_NAMESPACE_TAG = "__BENTOML_ALL_NAMESPACE"

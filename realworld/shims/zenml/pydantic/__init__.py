"""pydantic.BaseModel as one zenml migration uses it: a record built from keyword arguments."""


class BaseModel:
    def __init__(self, **data):
        for key, value in data.items():
            setattr(self, key, value)

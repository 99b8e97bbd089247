"""cognee.modules.users.methods: 482cd6517ce4 imports them and no longer calls them."""


async def create_default_user():
    raise NotImplementedError("cognee's default user is not made by its history")


async def delete_user(email):
    raise NotImplementedError("cognee's default user is not made by its history")

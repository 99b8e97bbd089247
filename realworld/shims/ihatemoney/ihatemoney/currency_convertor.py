"""ihatemoney.currency_convertor.CurrencyConverter.no_currency: a revision's server default."""


class CurrencyConverter:
    no_currency = "XXX"

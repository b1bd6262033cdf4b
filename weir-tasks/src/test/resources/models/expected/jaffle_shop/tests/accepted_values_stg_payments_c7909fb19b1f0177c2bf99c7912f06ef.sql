-- accepted_values: the values of payment_method outside the list
select payment_method as value_field, count(*) as n_records
from "main"."stg_payments"
where payment_method not in (
    'credit_card',
    'coupon',
    'bank_transfer',
    'gift_card'
)
group by payment_method

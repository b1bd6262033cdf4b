-- accepted_values: the values of status outside the list
select status as value_field, count(*) as n_records
from "main"."stg_orders"
where status not in (
    'placed',
    'shipped',
    'completed',
    'return_pending',
    'returned'
)
group by status

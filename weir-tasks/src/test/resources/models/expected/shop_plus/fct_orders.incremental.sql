

with __dbt__cte__int_order_flags as (


select
    order_id,
    status in ('shipped', 'delivered') as is_shipped,
    amount > 100 as is_big
from "main"."stg_shop_orders"
), flags as (
    select * from __dbt__cte__int_order_flags
)

select
    o.order_id,
    o.customer_id,
    o.amount,
    flags.is_shipped,
    flags.is_big,
    o.updated_at
from "main"."stg_shop_orders" as o
join flags using (order_id)

where o.updated_at > (select max(updated_at) from "main_marts"."fct_orders")


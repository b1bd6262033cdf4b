

select
    order_id,
    status in ('shipped', 'delivered') as is_shipped,
    amount > 100 as is_big
from "main"."stg_shop_orders"

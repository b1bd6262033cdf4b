-- not_null: the rows whose order_id is null
select order_id
from "main_marts"."fct_orders"
where order_id is null
